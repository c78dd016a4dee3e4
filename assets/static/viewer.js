// The deep-zoom viewer of an object page: OpenSeadragon over the IIIF Image API.
(function () {
  var el = document.getElementById('viewer');
  if (!el || !window.OpenSeadragon) return;
  var sources = JSON.parse(el.getAttribute('data-tiles') || '[]');
  if (sources.length === 0) return;
  // Hidden until a script can fill it: without scripts the page shows the images themselves.
  el.hidden = false;
  window.catalogueViewer = OpenSeadragon({
    element: el,
    prefixUrl: '/static/vendor/openseadragon/images/',
    tileSources: sources,
    sequenceMode: sources.length > 1,
    showReferenceStrip: sources.length > 1,
    crossOriginPolicy: 'Anonymous',
    gestureSettingsMouse: { clickToZoom: false }
  });
})();
