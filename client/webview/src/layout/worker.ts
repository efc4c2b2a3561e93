// Lays out graphs with elkjs off the webview's main thread (placeholder).
export {};
