// Check-in desk: scan a registration's QR code with the device camera, and keep the code field
// ready for the next person. Uses the browser's BarcodeDetector on getUserMedia video; the scan
// button stays hidden where either is missing (typing the code always works).
(function () {
  "use strict";

  const form = document.getElementById("checkin-code-form");
  if (!form) return;
  const input = form.querySelector("input[name=code]");
  const button = document.getElementById("checkin-scan");
  const panel = document.getElementById("checkin-camera");
  const video = document.getElementById("checkin-video");
  const startLabel = button ? button.textContent : "";

  function readyForNext() {
    input.value = "";
    input.focus();
  }

  // After each htmx answer from the code form, clear the field for the next person.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form && event.detail.successful) readyForNext();
  });

  async function supported() {
    if (!("BarcodeDetector" in window) || !window.isSecureContext) return false;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return false;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      return formats.includes("qr_code");
    } catch (error) {
      return false;
    }
  }

  let stream = null;
  let detector = null;
  let timer = null;

  function stop() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    panel.hidden = true;
    button.textContent = startLabel;
    button.setAttribute("aria-pressed", "false");
  }

  async function scanOnce() {
    if (!stream) return;
    try {
      if (video.readyState >= 2) {
        const codes = await detector.detect(video);
        if (codes.length > 0 && codes[0].rawValue) {
          input.value = codes[0].rawValue.trim();
          stop();
          form.requestSubmit();
          return;
        }
      }
    } catch (error) {
      // A frame that cannot be read yet; try the next one.
    }
    timer = window.setTimeout(scanOnce, 200);
  }

  async function start() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      stream = null;
      input.focus();
      return;
    }
    detector = detector || new window.BarcodeDetector({ formats: ["qr_code"] });
    video.srcObject = stream;
    panel.hidden = false;
    button.textContent = button.dataset.labelStop;
    button.setAttribute("aria-pressed", "true");
    await video.play();
    scanOnce();
  }

  supported().then(function (ok) {
    if (!ok || !button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (stream) stop(); else start();
    });
    window.addEventListener("pagehide", stop);
  });
})();
