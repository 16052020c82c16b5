// The kubernetes-models packages (and is-cidr, cidr-regex under them) export only an "import"
// condition. Jest resolves with "require", so for these packages alone it is given "import"; their
// ES modules are then compiled to CommonJS by the transform in jest.config.js.
'use strict';
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+|is-cidr|cidr-regex)(\/|$)/;

module.exports = (request, options) =>
  ESM_ONLY.test(request)
    ? options.defaultResolver(request, { ...options, conditions: ['import', 'default'] })
    : options.defaultResolver(request, options);
