/* Checkout form: the billing address block is hidden while "the invoice goes to this address"
   is ticked. Without JavaScript the block is simply always shown (the server ignores it then).
   When the server sent the form back with a billing field wrong, the box is unticked already,
   so the block and its messages stay visible. */
(function () {
  "use strict";
  var box = document.getElementById("checkout-billing-same");
  var billing = document.getElementById("checkout-billing");
  if (!box || !billing) {
    return;
  }
  box.addEventListener("change", function () {
    billing.hidden = box.checked;
  });
  // a billing field the server found wrong is never hidden on arrival
  billing.hidden = box.checked && billing.querySelector(".field-error") === null;
})();

/* The form came back with fields to fix: the summary (role="alert") is announced, and the focus
   goes to the first field to fix, so a keyboard or screen-reader user lands where the work is. */
(function () {
  "use strict";
  if (!document.getElementById("checkout-errors")) {
    return;
  }
  var first = document.querySelector(".checkout-form [aria-invalid='true']");
  if (first && !first.closest("[hidden]")) {
    first.focus();
  }
})();
