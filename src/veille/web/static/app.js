// veille's one script: "/" focuses the search box. Everything works without it.
document.addEventListener("keydown", function (event) {
  var box = document.getElementById("q");
  var typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement
    || event.target instanceof HTMLTextAreaElement;
  if (box && event.key === "/" && !typing) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
