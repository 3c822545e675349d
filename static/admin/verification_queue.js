// The verification queue's "select every row on this page" box (without JavaScript, rows are
// ticked one by one).
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-all-rows");
  if (!all) return;
  const rows = () => Array.from(document.querySelectorAll("#result_list input.action-select"));
  const sync = () => {
    const boxes = rows();
    const ticked = boxes.filter((box) => box.checked).length;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  };
  all.addEventListener("change", () => {
    rows().forEach((box) => { if (!box.disabled) box.checked = all.checked; });
  });
  rows().forEach((box) => box.addEventListener("change", sync));
  sync();
});
