// The attendance form of a training session: "completed" follows "attended" (ticked when a
// volunteer is ticked as attended, cleared and disabled when not). Without this file every
// "completed" box is pre-ticked and the server ignores it for a row that did not attend.
(function () {
  "use strict";

  var form = document.getElementById("attendance-form");
  if (!form) { return; }
  var future = form.getAttribute("data-future") === "1";

  form.querySelectorAll("[data-attendance-row]").forEach(function (row) {
    var attended = row.querySelector("[data-attended]");
    var completed = row.querySelector("[data-completed]");
    if (!attended || !completed) { return; }
    completed.disabled = !attended.checked;
    if (!attended.checked) { completed.checked = false; }
    attended.addEventListener("change", function () {
      completed.disabled = !attended.checked;
      completed.checked = attended.checked && !future;
    });
  });
})();
