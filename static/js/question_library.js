// The question library: "Add" copies a standard question, in the letter's language, into
// the questions box (the letter form's, or the new-request form's application text).
// Without JavaScript the questions are ticked instead, and the letter adds them.
(function () {
  "use strict";
  var box = document.getElementById("id_questions") || document.getElementById("id_application_text");
  if (!box) return;
  var language = document.getElementById("id_language");
  document.querySelectorAll(".add-question").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var hindi = language ? language.value === "hi" : document.documentElement.lang === "hi";
      var text = hindi ? button.dataset.hi : button.dataset.en;
      box.value = box.value.replace(/\s*$/, "") + (box.value.trim() ? "\n" : "") + text;
      var row = button.closest(".library-question");
      var tick = row && row.querySelector("input[type=checkbox]");
      if (tick) tick.checked = false;  // added once, as text
      box.focus();
    });
  });
})();
