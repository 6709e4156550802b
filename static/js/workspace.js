// Agent workspace behaviour: keyboard shortcuts and the "is typing" flag for the
// collision warning. Loaded as a static file; the CSP forbids inline scripts.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      // Show validation errors (422) from the composer instead of dropping them.
      htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "422", swap: true },
        { code: "[45]..", swap: false, error: true },
      ];
    }
  });

  // The filters may have changed through htmx since the page was rendered; save what the
  // address bar shows now.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.classList && form.classList.contains("save-view")) {
      form.querySelector("[name=params]").value = window.location.search;
    }
  });

  var typingTimer = null;
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "reply-body") {
      var flag = document.getElementById("typing-flag");
      if (!flag) return;
      flag.value = "1";
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { flag.value = "0"; }, 8000);
    }
  });

  function isTyping(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function focusComposer(visibility) {
    var radio = document.getElementById("visibility-" + visibility);
    var body = document.getElementById("reply-body");
    if (radio) radio.checked = true;
    if (body) body.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && isTyping(event.target)) { event.target.blur(); return; }
    if (isTyping(event.target)) return;
    var page = document.querySelector(".ticket-page");
    if (event.key === "r" && page) { event.preventDefault(); focusComposer("public"); }
    else if (event.key === "n" && page) { event.preventDefault(); focusComposer("internal"); }
    else if (event.key === "j" && page) { event.preventDefault(); window.location.href = page.dataset.nextUrl; }
    else if (event.key === "/") {
      var search = document.getElementById("inbox-search");
      if (search) { event.preventDefault(); search.focus(); }
    }
  });
})();
