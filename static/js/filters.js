// Opens the listing's filter panel on wide screens, where it sits beside the results.
// On phones it stays folded so the first result is on the first screen. Without this file the panel still works.
(function () {
  var panel = document.getElementById("filters-panel");
  if (!panel || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 52.01rem)");
  function openWhenWide() { if (wide.matches) panel.open = true; }
  openWhenWide();
  if (wide.addEventListener) wide.addEventListener("change", openWhenWide);
})();
