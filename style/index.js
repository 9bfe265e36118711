/*
    JupyterLab's start-up style module (package.json's styleModule) imports
    no CSS: the status bar item's module imports base.css and the panel's
    lazily loaded module imports panel.css, so the bundler puts one copy of
    the style loader's runtime in the start-up chunk, which the panel's chunk
    reuses. Imported here, the runtime would sit in this module's own chunk,
    which is not a parent of the panel's chunk, and be bundled twice.
*/
