// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no MessageChannel; @grafana/ui 13 loads react-dom/server (TruncatedText), which creates
// one at import time to schedule work. Deliver messages on a timer, as a browser would, later.
if (typeof global.MessageChannel === 'undefined') {
  global.MessageChannel = class MessageChannel {
    constructor() {
      const port1 = { onmessage: null, postMessage() {}, close() {} };
      this.port1 = port1;
      this.port2 = {
        onmessage: null,
        postMessage: (data) => setTimeout(() => port1.onmessage && port1.onmessage({ data }), 0),
        close() {},
      };
    }
  };
}

// jsdom has no IntersectionObserver; @grafana/scenes' LazyLoader creates one at import time.
// Nothing in the unit tests scrolls, so an observer that never reports is enough.
if (typeof global.IntersectionObserver === 'undefined') {
  global.IntersectionObserver = class IntersectionObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  };
}

// jsdom has no ResizeObserver either (the flame graph follows its container's width with one).
// jsdom lays nothing out, so there is never a size to report.
if (typeof global.ResizeObserver === 'undefined') {
  global.ResizeObserver = class ResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
