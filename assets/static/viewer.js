// The deep-zoom viewer of an object page: OpenSeadragon over the IIIF Image API.
(function () {
  var el = document.getElementById('viewer');
  if (!el || !window.OpenSeadragon) return;
  var sources = JSON.parse(el.getAttribute('data-tiles') || '[]');
  if (sources.length === 0) return;
  // The buttons' tooltips in the page's language (OpenSeadragon's own are English).
  var zh = (document.documentElement.lang || '').indexOf('zh') === 0;
  var tips = zh
    ? { FullPage: '全屏', Home: '复原', ZoomIn: '放大', ZoomOut: '缩小', NextPage: '下一张', PreviousPage: '上一张', RotateLeft: '向左旋转', RotateRight: '向右旋转', Flip: '翻转' }
    : { FullPage: 'Full screen', Home: 'Fit to view', ZoomIn: 'Zoom in', ZoomOut: 'Zoom out', NextPage: 'Next image', PreviousPage: 'Previous image', RotateLeft: 'Rotate left', RotateRight: 'Rotate right', Flip: 'Flip' };
  Object.keys(tips).forEach(function (k) { OpenSeadragon.setString('Tooltips.' + k, tips[k]); });
  // Hidden until a script can fill it: without scripts the page shows the images themselves.
  el.hidden = false;
  var viewer = OpenSeadragon({
    element: el,
    prefixUrl: '/static/vendor/openseadragon/images/',
    tileSources: sources,
    sequenceMode: sources.length > 1,
    // No reference strip over the image: the page's own thumbnails below choose the image.
    showReferenceStrip: false,
    crossOriginPolicy: 'Anonymous',
    gestureSettingsMouse: { clickToZoom: false }
  });
  window.catalogueViewer = viewer;
  if (sources.length > 1) {
    document.querySelectorAll('.image-list li a').forEach(function (a, i) {
      a.addEventListener('click', function (e) {
        e.preventDefault();
        viewer.goToPage(i);
        el.scrollIntoView({ block: 'nearest' });
      });
    });
  }
})();
