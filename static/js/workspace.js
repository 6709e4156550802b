// Agent workspace behaviour: keyboard shortcuts and the "is typing" flag for the
// collision warning. Loaded as a static file; the CSP forbids inline scripts.
(function () {
  "use strict";

  // The filters may have changed through htmx since the page was rendered; save what the
  // address bar shows now.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.classList && form.classList.contains("save-view")) {
      form.querySelector("[name=params]").value = window.location.search;
    }
  });

  // Drafts: what an agent types in the composer survives a reload or a wrong click, in
  // this browser only; it is forgotten once sent, and every draft is dropped at logout.
  var DRAFT_PREFIX = "helpdesk.draft.";

  function draftKey() {
    var page = document.querySelector(".ticket-page");
    return page ? DRAFT_PREFIX + page.dataset.ticket : null;
  }

  function draftSave() {
    var key = draftKey();
    var body = document.getElementById("reply-body");
    if (!key || !body) return;
    try {
      if (body.value.trim()) {
        var internal = document.getElementById("visibility-internal");
        localStorage.setItem(key, JSON.stringify({
          text: body.value, internal: !!(internal && internal.checked),
        }));
      } else {
        localStorage.removeItem(key);
      }
    } catch (error) { /* storage full or disabled: drafts are a convenience */ }
  }

  function draftRestore() {
    var key = draftKey();
    var body = document.getElementById("reply-body");
    if (!key || !body || body.value) return;
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { return; }
    if (!saved || !saved.text) return;
    body.value = saved.text;
    var radio = document.getElementById(saved.internal ? "visibility-internal" : "visibility-public");
    if (radio) radio.checked = true;
    var notice = document.getElementById("draft-restored");
    if (notice) notice.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", draftRestore);
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "reply-body") draftSave();
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "visibility") draftSave();
  });
  document.addEventListener("htmx:load", function (event) {
    // The empty composer that comes back after a send says so (data-sent).
    var element = event.detail && event.detail.elt;
    if (element && element.id === "composer" && element.dataset.sent) {
      var key = draftKey();
      if (key) localStorage.removeItem(key);
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    // A macro fills the composer without an input event.
    if (event.detail && event.detail.elt && event.detail.elt.id === "macro-select") draftSave();
  });
  document.addEventListener("submit", function (event) {
    if (event.target && event.target.classList && event.target.classList.contains("logout")) {
      try {
        Object.keys(localStorage).forEach(function (key) {
          if (key.indexOf(DRAFT_PREFIX) === 0) localStorage.removeItem(key);
        });
      } catch (error) { /* nothing stored */ }
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

  function openShortcuts() {
    var dialog = document.getElementById("shortcuts");
    var Modal = window.tabler && window.tabler.Modal;
    if (dialog && Modal) Modal.getOrCreateInstance(dialog).show();
  }

  // Every shortcut is listed in the "?" overlay (templates/components/shortcuts.html).
  var pendingG = false;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target &&
        event.target.id === "reply-body") {
      event.preventDefault();
      var send = document.getElementById("reply-send");
      if (send) send.click();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && isTyping(event.target)) { event.target.blur(); return; }
    if (isTyping(event.target)) return;
    var page = document.querySelector(".ticket-page");
    if (pendingG) {
      pendingG = false;
      if (event.key === "i") { window.location.href = document.body.dataset.inboxUrl; return; }
      if (event.key === "c") { window.location.href = document.body.dataset.customersUrl; return; }
    }
    if (event.key === "?") { event.preventDefault(); openShortcuts(); }
    else if (event.key === "g") { pendingG = true; setTimeout(function () { pendingG = false; }, 1500); }
    else if (event.key === "r" && page) { event.preventDefault(); focusComposer("public"); }
    else if (event.key === "n" && page) { event.preventDefault(); focusComposer("internal"); }
    else if (event.key === "j" && page) { event.preventDefault(); window.location.href = page.dataset.nextUrl; }
    else if (event.key === "/") {
      var search = document.getElementById("inbox-search") || document.getElementById("global-search");
      if (search) { event.preventDefault(); search.focus(); }
    }
  });

  // The composer looks like what it will send: a note is tinted. The assistant looks at
  // public replies only, so it checks the draft again.
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "visibility") {
      var composer = document.getElementById("composer");
      if (composer) composer.classList.toggle("is-internal", event.target.value !== "public");
      var body = document.getElementById("reply-body");
      if (body && window.htmx) window.htmx.trigger(body, "assist-check");
    }
  });
})();

// The tone assistant's "use suggestion": it puts the suggested words in place of the
// ones the advice is about (or before the draft, for a greeting or an apology); the agent
// edits on from there. The draft is checked again as after typing.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest(".tone-apply");
    var body = document.getElementById("reply-body");
    if (!button || !body) return;
    var suggestion = button.dataset.suggestion || "";
    var matched = button.dataset.matched || "";
    if (button.dataset.atStart) {
      body.value = suggestion + body.value.replace(/^\s+/, "");
    } else if (matched && body.value.indexOf(matched) >= 0) {
      body.value = body.value.replace(matched, suggestion.trim());
    } else {
      body.value = body.value.replace(/\s*$/, " ") + suggestion;
    }
    body.dispatchEvent(new Event("input", { bubbles: true }));
    body.focus();
  });
})();
