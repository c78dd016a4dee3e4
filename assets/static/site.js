// Progressive enhancement: suggestions while typing. The site works without it.
(function () {
  var input = document.getElementById('q');
  var list = document.getElementById('suggestions');
  if (!input || !list || !window.fetch) return;
  var timer = null, last = '';
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q === last || q.length === 0) return;
      last = q;
      fetch('/api/v1/suggest?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (body) {
          list.textContent = '';
          (body.suggestions || []).forEach(function (s) {
            var o = document.createElement('option');
            o.value = s;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
