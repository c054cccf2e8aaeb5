/* Orion's progressive enhancement, loaded by every page: the Content-Security-Policy allows no
   inline script or on...= attribute, so templates mark elements with data attributes instead.
   Without JavaScript each still works: a select has a submit button in <noscript>, a confirmed
   form simply submits, a print button is the browser's own print command away.

   <select data-autosubmit>        submits its form when the choice changes
   <form data-confirm="question">  asks before it submits
   <button data-print>             prints the page */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
