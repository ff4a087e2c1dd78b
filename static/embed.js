/*! Cascade Lab host script (MIT). Load it once, anywhere in the page:
 *    <script src="https://…/embed.js" async></script>
 * 1. Sizes every Cascade Lab iframe (<iframe data-cascade-lab src="…?embed=1…">) to the height its
 *    widget reports, so it never scrolls inside.
 * 2. Defines <cascade-lab src="…" preset="…" charts="…" controls="…" autoplay theme="…">: an iframe
 *    of the widget, with the link keys as attributes (any parameter too, leverage="20"); its
 *    children are shown until the widget has loaded. Methods: set(params), play(), pause(),
 *    seek(tick), preset(name); the widget's messages arrive as events of the same names
 *    (cascade-lab:ready, :height, :progress, :done, :params, :error; the message is event.detail).
 * A message counts only if it has the widget's shape and comes from a widget iframe (matched by
 * event.source, never by anything the message says) at the origin that iframe was loaded from.
 * No dependencies; no inline styles or scripts, so it runs under a strict content security policy.
 */
(() => {
  'use strict';
  if (!window.customElements || customElements.get('cascade-lab')) return;

  const NS = 'cascade-lab:';
  const VERSION = 1;
  const FROM_WIDGET = ['ready', 'height', 'progress', 'done', 'params', 'error'].map((name) => NS + name);
  const script = document.currentScript;
  /** Where the widget lives when <cascade-lab> names no src: beside this script. */
  const HOME = script && script.src ? new URL('./', script.src).href : location.href;
  /** Attributes of <cascade-lab> that belong to the element, not to the widget's link. */
  const OWN =
    /^(src|id|class|style|title|hidden|slot|lang|dir|tabindex|role|is|part|exportparts|loading|width|height|data-.*|aria-.*|on.*)$/;
  /** Connected <cascade-lab> elements. */
  const elements = new Set();

  const originOf = (url) => {
    try {
      return new URL(url, location.href).origin;
    } catch {
      return '';
    }
  };

  /** The widget iframe a message came from, and its <cascade-lab> element if it has one. */
  function widgetOf(source) {
    for (const element of elements) if (element.frame.contentWindow === source) return [element.frame, element];
    for (const frame of document.querySelectorAll('iframe[data-cascade-lab]'))
      if (frame.contentWindow === source) return [frame];
    return undefined;
  }

  addEventListener('message', (event) => {
    const data = event.data;
    if (!data || typeof data !== 'object' || data.version !== VERSION || !FROM_WIDGET.includes(data.type)) return;
    const found = event.source ? widgetOf(event.source) : undefined;
    if (!found || event.origin !== originOf(found[0].src)) return;
    const [frame, element] = found;
    if (data.type === NS + 'height') {
      const height = data.height;
      if (typeof height !== 'number' || !(height > 0 && height < 100000)) return;
      // The widget reports its content; a border-box iframe's height includes its border and padding too.
      const style = getComputedStyle(frame);
      const edges =
        style.boxSizing === 'border-box'
          ? ['borderTopWidth', 'borderBottomWidth', 'paddingTop', 'paddingBottom'].reduce(
              (sum, key) => sum + parseFloat(style[key]),
              0,
            )
          : 0;
      frame.style.height = `${Math.ceil(height + edges)}px`;
    }
    if (element) element.receive(data);
  });

  class CascadeLab extends HTMLElement {
    constructor() {
      super();
      this.frame = document.createElement('iframe');
      this.frame.title = 'Cascade Lab: a simulated market crash';
      Object.assign(this.frame.style, { display: 'block', width: '100%', height: '0', border: '0' });
      this.fallback = document.createElement('slot');
      const shadow = this.attachShadow({ mode: 'open' });
      shadow.append(this.fallback, this.frame);
      try {
        // A constructed sheet, not a <style>: a strict content security policy allows it.
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(':host{display:block}');
        shadow.adoptedStyleSheets = [sheet];
      } catch {
        // Older browsers: the element stays inline, the iframe inside it still spans the line.
      }
      this.ready = false;
      this.queue = [];
      new MutationObserver(() => this.load()).observe(this, { attributes: true });
    }

    connectedCallback() {
      elements.add(this);
      this.load();
    }

    disconnectedCallback() {
      elements.delete(this);
    }

    /** The widget's address: src (or the script's folder), embed=1, and every link attribute. */
    widgetUrl() {
      const url = new URL(this.getAttribute('src') || HOME, location.href);
      for (const { name, value } of this.attributes) if (!OWN.test(name)) url.searchParams.set(name, value);
      url.searchParams.set('embed', '1');
      return url.href;
    }

    load() {
      const url = this.widgetUrl();
      if (this.title) this.frame.title = this.title;
      if (this.hasAttribute('loading')) this.frame.loading = this.getAttribute('loading');
      if (this.frame.src === url) return;
      this.ready = false;
      this.frame.src = url;
    }

    send(message) {
      message.version = VERSION;
      if (this.ready) this.frame.contentWindow.postMessage(message, originOf(this.frame.src));
      else this.queue.push(message);
    }

    set(params) {
      this.send({ type: NS + 'set', params });
    }

    play() {
      this.send({ type: NS + 'play' });
    }

    pause() {
      this.send({ type: NS + 'pause' });
    }

    seek(tick) {
      this.send({ type: NS + 'seek', tick });
    }

    preset(name) {
      this.send({ type: NS + 'preset', name });
    }

    /** A message of this element's widget: the first ready replaces the fallback and sends what waited. */
    receive(data) {
      if (data.type === NS + 'ready') {
        this.ready = true;
        this.fallback.remove();
        for (const message of this.queue.splice(0)) this.send(message);
      }
      this.dispatchEvent(new CustomEvent(data.type, { detail: data, bubbles: true }));
    }
  }

  customElements.define('cascade-lab', CascadeLab);
})();
