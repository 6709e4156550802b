// Records the score of the link the customer clicked once a real browser has rendered the
// page. Link scanners fetch the page but do not run this, so they record nothing.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("survey-form");
  if (!form) return;
  form.querySelectorAll(".score input").forEach(function (input) {
    input.addEventListener("change", function () {
      form.querySelectorAll(".score").forEach(function (label) {
        label.classList.toggle("selected", label.contains(input) && input.checked);
      });
    });
  });
  if (form.dataset.autosubmit === "1") {
    var comment = form.querySelector("textarea");
    if (comment) comment.disabled = true; // keep any comment already given
    form.submit();
  }
});
