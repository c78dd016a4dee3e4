// Opens the manifest named in ?manifest= in Mirador (a second IIIF viewer, for checking manifests).
(function () {
  var manifest = new URLSearchParams(location.search).get('manifest');
  window.miradorInstance = Mirador.viewer({
    id: 'mirador',
    windows: manifest ? [{ manifestId: manifest }] : [],
    window: { allowClose: false }
  });
})();
