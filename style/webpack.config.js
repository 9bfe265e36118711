/*
    The labextension build's additions (package.json's jupyterlab.webpackConfig,
    merged into @jupyter/builder's configuration): our style sheets are
    minified (rspack's built-in Lightning CSS loader) before they become the
    text that src/styleSheet.ts adds to the page, so their comments and
    layout, kept for the people who read them, cost the bundle nothing. It
    lives in style/ beside the sheets it applies to.
*/
module.exports = {
  module: {
    rules: [
      {
        test: /\.css$/,
        include: __dirname,
        use: [
          { loader: 'builtin:lightningcss-loader', options: { minify: true } }
        ]
      }
    ]
  }
};
