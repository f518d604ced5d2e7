// Long lists of checkboxes (the staff picker, online attendance): a search box narrows the list
// (ticked ones stay visible), and optional buttons tick or clear everyone shown.
// Without JavaScript the box and buttons stay hidden and the whole list scrolls.
document.querySelectorAll("[data-people-picker]").forEach((picker) => {
  const filter = picker.querySelector("[data-people-filter]");
  const options = Array.from(picker.querySelectorAll("[data-people-option]"));
  const box = (option) => option.querySelector("input[type=checkbox]");
  filter.hidden = false;
  filter.addEventListener("input", () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    options.forEach((option) => {
      const text = option.textContent.toLowerCase();
      option.hidden = !box(option).checked && !words.every((word) => text.includes(word));
    });
  });
  [["[data-tick-all]", true], ["[data-untick-all]", false]].forEach(([selector, value]) => {
    const button = picker.querySelector(selector);
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      options.filter((option) => !option.hidden && !box(option).disabled).forEach((option) => {
        box(option).checked = value;
      });
    });
  });
});
