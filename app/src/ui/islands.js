// Loads the islands' code once the page is idle and starts each island on the page. Nothing here
// is preloaded by a <link>: a browser without JavaScript never runs this script and so never
// downloads the WebAssembly. Pages work without it (plain links and forms).
((pkg, js, wasm) => {
  const start = async () => {
    const mod = await import(`/${pkg}/${js}.js`);
    await mod.default({ module_or_path: `/${pkg}/${wasm}.wasm` });
    mod.hydrate();
    for (const island of document.querySelectorAll("leptos-island")) {
      const hydrateIsland = mod[island.dataset.component];
      if (hydrateIsland) {
        await hydrateIsland(island);
      } else {
        console.warn(`no code for the island ${island.dataset.component}`);
      }
    }
    // Lets browser tests wait for the islands instead of sleeping.
    document.body.dataset.hydrated = "true";
  };
  if ("requestIdleCallback" in window) {
    window.requestIdleCallback(start);
  } else {
    start();
  }
})
