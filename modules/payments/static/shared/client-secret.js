/* Confirms a payment started with kind "client_secret" (Stripe's PaymentIntent) in the page:
   Stripe.js shows its card fields in its own frames and confirms with the client secret; the
   payer comes back to data-return-url, and the provider's webhook settles the payment.
   Markup: <form id="card-payment" data-publishable-key data-client-secret data-return-url>
   holding #card-payment-element and #card-payment-error. No inline script (strict CSP). */
(function () {
  "use strict";
  var form = document.getElementById("card-payment");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  var error = document.getElementById("card-payment-error");
  var stripe = window.Stripe(form.dataset.publishableKey);
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  elements.create("payment").mount("#card-payment-element");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    stripe.confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
      .then(function (result) {
        if (result.error) {
          error.textContent = result.error.message || "";
          error.hidden = false;
          button.disabled = false;
        }
      });
  });
})();
