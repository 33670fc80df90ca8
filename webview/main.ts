// The webview bundle. The topology panel (issue 6) builds on this entry; for now it only
// announces itself so the build and CSP plumbing are exercised end to end.
export {};
