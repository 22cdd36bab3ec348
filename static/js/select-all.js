// "Alles selecteren": a checkbox with data-select-all="<name>" checks or unchecks every checkbox of that name in
// its form. Without JavaScript the boxes are still chosen one by one.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-select-all]")) return;
  var form = box.form || document;
  form.querySelectorAll('input[type="checkbox"][name="' + box.getAttribute("data-select-all") + '"]').forEach(function (other) {
    other.checked = box.checked;
  });
});
