// The design system's behaviour on every page: toasts ("Saved", "Sent") from the server,
// whether they come with a page (Django messages) or with an htmx answer (HX-Trigger:
// {"toast": {"message": "...", "level": "success"}}). Loaded as a file; the CSP forbids
// inline scripts.
(function () {
  "use strict";

  function toastShow(element) {
    var Toast = window.tabler && window.tabler.Toast;
    if (Toast) Toast.getOrCreateInstance(element, { delay: 5000 }).show();
  }

  function toastAdd(message, level) {
    var template = document.getElementById("toast-template");
    var container = document.getElementById("toasts");
    if (!template || !container || !message) return;
    var element = template.content.firstElementChild.cloneNode(true);
    element.querySelector(".toast-text").textContent = message;
    element.classList.remove("toast-success");
    element.classList.add("toast-" + (level || "success"));
    if (level === "error") {
      element.setAttribute("role", "alert");
      element.dataset.bsAutohide = "false";
    }
    container.appendChild(element);
    toastShow(element);
    element.addEventListener("hidden.bs.toast", function () { element.remove(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#toasts .toast").forEach(toastShow);
  });
  // htmx fires the HX-Trigger event on the element that made the request; it bubbles here.
  document.addEventListener("toast", function (event) {
    var detail = event.detail || {};
    toastAdd(detail.message, detail.level);
  });
  window.helpdeskToast = toastAdd;
})();
