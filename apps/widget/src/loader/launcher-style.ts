/** Styles inside the loader's shadow root: the host page's CSS cannot reach in, and none of ours leaks out. */
export const LAUNCHER_CSS = `
:host{all:initial}
.root{position:fixed;bottom:20px;z-index:2147483000;font:14px/1.4 system-ui,-apple-system,"Segoe UI","Noto Sans",sans-serif}
.root.right{right:20px}.root.left{left:20px}
.launcher{all:initial;box-sizing:border-box;width:56px;height:56px;border-radius:50%;cursor:pointer;display:flex;align-items:center;justify-content:center;background:var(--seva-primary,#1c7ed6);color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);position:relative}
.launcher:focus-visible{outline:3px solid #111;outline-offset:3px}
.launcher svg{width:28px;height:28px;fill:currentColor;display:block}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#e03131;color:#fff;font:700 12px/20px system-ui,sans-serif;text-align:center;padding:0 5px;box-sizing:border-box}
.badge[hidden]{display:none}
.panel{position:fixed;bottom:88px;width:380px;height:600px;max-height:calc(100vh - 110px);border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff;display:block;color-scheme:normal}
.root.right .panel{right:20px}.root.left .panel{left:20px}
.panel[hidden]{display:none}
@media (max-width:480px){.panel{inset:0;width:100vw;height:100vh;max-height:none;border-radius:0;bottom:0}}
`;

export const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 2-2z"/></svg>';
export const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z"/></svg>';
