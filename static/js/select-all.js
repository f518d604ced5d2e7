// "Select all" checkboxes: <input type="checkbox" data-select-all=".row-select"> checks or clears
// every checkbox the selector names (the rows of the registrations list).
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[type=checkbox][data-select-all]")) return;
  document.querySelectorAll(box.dataset.selectAll).forEach(function (row) {
    row.checked = box.checked;
  });
});
