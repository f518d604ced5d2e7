// Staff picker: a search box that narrows a long list of checkboxes (ticked ones stay visible).
// Without JavaScript the box stays hidden and the whole list scrolls.
document.querySelectorAll("[data-people-picker]").forEach((picker) => {
  const filter = picker.querySelector("[data-people-filter]");
  const options = picker.querySelectorAll("[data-people-option]");
  filter.hidden = false;
  filter.addEventListener("input", () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    options.forEach((option) => {
      const text = option.textContent.toLowerCase();
      const ticked = option.querySelector("input").checked;
      option.hidden = !ticked && !words.every((word) => text.includes(word));
    });
  });
});
