// Loads the islands' code once the page is idle and starts each island on the page; a page
// without islands loads nothing. Nothing here is preloaded by a <link>: a browser without
// JavaScript never runs this script and so never downloads the WebAssembly. Pages work without
// it (plain links and forms).
((pkg, js, wasm) => {
  const start = async () => {
    try {
      const islands = document.querySelectorAll("leptos-island");
      if (islands.length > 0) await startIslands(islands);
    } finally {
      // Lets browser tests wait for the islands instead of sleeping (a failure is on the console).
      document.body.dataset.hydrated = "true";
    }
  };
  const startIslands = async (islands) => {
    const mod = await import(`/${pkg}/${js}.js`);
    await mod.default({ module_or_path: `/${pkg}/${wasm}.wasm` });
    mod.hydrate();
    for (const island of islands) {
      const hydrateIsland = mod[island.dataset.component];
      if (hydrateIsland) {
        // One island's failure leaves the others working.
        try {
          await hydrateIsland(island);
        } catch (error) {
          console.error(`the island ${island.dataset.component} failed`, error);
        }
      } else {
        console.warn(`no code for the island ${island.dataset.component}`);
      }
    }
  };
  if ("requestIdleCallback" in window) {
    window.requestIdleCallback(start);
  } else {
    start();
  }
})
