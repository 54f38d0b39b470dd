// The draft page: turns a mouse selection in the report text into character offsets (the
// start and end fields of the selection form). Offsets count Unicode code points, as the
// server's spans do; every run of the text carries its offset in data-o.
(function () {
  var text = document.getElementById('report-text');
  var start = document.getElementById('sel-start');
  var end = document.getElementById('sel-end');
  var shown = document.getElementById('selection-text');
  if (!text || !start || !end) return;
  function offset(node, within) {
    var el = node.nodeType === 3 ? node.parentElement : node;
    while (el && el !== text && !el.hasAttribute('data-o')) el = el.parentElement;
    if (!el || !el.hasAttribute('data-o')) return null;
    var base = parseInt(el.getAttribute('data-o'), 10);
    if (node.nodeType !== 3) return base;
    return base + Array.from(node.data.slice(0, within)).length;
  }
  document.addEventListener('selectionchange', function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
    var s = offset(range.startContainer, range.startOffset);
    var e = offset(range.endContainer, range.endOffset);
    if (s === null || e === null || e <= s) return;
    start.value = s;
    end.value = e;
    if (shown) shown.textContent = sel.toString();
  });
})();
