// Stylesheets are imported for their side effect: esbuild emits them next to the view's bundle.
declare module '*.css';
