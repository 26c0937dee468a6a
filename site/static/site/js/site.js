// Small page helpers shared by every page. No inline scripts: everything lives here.

// "显示密码": a checkbox that shows the password as plain text for people who mistype.
// data-show-password names one input id or several, separated by spaces.
document.querySelectorAll("[data-show-password]").forEach(function (box) {
  var ids = box.getAttribute("data-show-password").split(" ");
  box.addEventListener("change", function () {
    ids.forEach(function (id) {
      var input = document.getElementById(id);
      if (input) input.type = box.checked ? "text" : "password";
    });
  });
});

// "打印证书" and the like.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});

// After a form error, move focus to the summary so it is read out and seen first.
var summary = document.getElementById("error-summary");
if (summary) summary.focus();
