// The counter's camera: where the browser can read QR codes (BarcodeDetector), a "Scan" button
// opens the device's camera and fills the card code in, then opens the card. Elsewhere the
// staff member types the code; nothing else changes.
(function () {
  "use strict";
  function start(form) {
    var button = form.querySelector("[data-scan]");
    var video = form.querySelector("[data-camera]");
    var status = form.querySelector("[data-scan-status]");
    var input = form.querySelector("input[name=code]");
    if (!button || !video || !input) return;
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    button.hidden = false;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var stream = null;
    function stop() {
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      video.hidden = true;
    }
    function look() {
      if (!stream) return;
      detector.detect(video).then(function (codes) {
        if (codes.length && codes[0].rawValue) {
          input.value = codes[0].rawValue;
          stop();
          form.submit();
        } else {
          window.requestAnimationFrame(look);
        }
      }).catch(function () { window.requestAnimationFrame(look); });
    }
    button.addEventListener("click", function () {
      if (stream) { stop(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        status.hidden = false;
        status.textContent = status.getAttribute("data-looking");
        video.play().then(look);
      }).catch(function () {
        status.hidden = false;
        status.textContent = status.getAttribute("data-no-camera");
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-scanner]").forEach(start);
  });
})();
