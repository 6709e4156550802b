// Help center: buttons that insert a text (an article link, an image) into a text area
// at the cursor (the reply composer, the article editor). Loaded once however often
// htmx swaps the composer in.
(function () {
  if (window.helpcenterInsert) return;
  window.helpcenterInsert = true;
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-insert-into]");
    if (!button) return;
    const area = document.querySelector(button.dataset.insertInto);
    if (!area) return;
    const text = button.dataset.insertText || "";
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? area.value.length;
    const before = area.value.slice(0, start);
    const gap = before && !/\s$/.test(before) ? " " : "";
    area.value = before + gap + text + area.value.slice(end);
    const caret = (before + gap + text).length;
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
