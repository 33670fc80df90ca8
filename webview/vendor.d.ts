// Cytoscape extensions ship no types; each registers itself through cytoscape.use().
declare module 'cytoscape-fcose' {
  const ext: (cy: unknown) => void;
  export default ext;
}
declare module 'cytoscape-svg' {
  const ext: (cy: unknown) => void;
  export default ext;
}
