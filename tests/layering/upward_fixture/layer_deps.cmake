# Three layers: io depends on core, core on domain.
set(EVAPO_LAYERS domain core io)
set(EVAPO_LAYER_DEPS_domain)
set(EVAPO_LAYER_DEPS_core domain)
set(EVAPO_LAYER_DEPS_io core)
