/*
    JupyterLab's start-up style module (package.json's styleModule) adds no
    CSS: the modules that use a style sheet add it when they load
    (src/styleSheet.ts), the status bar item at start-up, the panel's chunk
    when the panel is first shown.
*/
