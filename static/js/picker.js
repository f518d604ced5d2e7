// Directory pickers: when the typed text is one of the suggestions, remember that row's id;
// any other text clears it, and the server looks the text up by exact name instead.
document.addEventListener("input", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[data-picker-hidden]")) return;
  var hidden = document.getElementById(input.dataset.pickerHidden);
  var list = input.list;
  var chosen = "";
  if (list) {
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === input.value) {
        chosen = list.options[i].dataset.id || "";
        break;
      }
    }
  }
  if (hidden) hidden.value = chosen;
});
