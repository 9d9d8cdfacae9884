/** Vite's `?raw` imports: the file's text. */
declare module "*?raw" {
  const text: string;
  export default text;
}

/** Vite's `import.meta.glob` (only the eager, `?raw` form the page uses). */
interface ImportMeta {
  glob(
    pattern: string,
    options: { readonly query: "?raw"; readonly import: "default"; readonly eager: true },
  ): Record<string, unknown>;
}
