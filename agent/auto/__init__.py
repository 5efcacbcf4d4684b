"""The offline `auto` policy: a design catalogue and a proof portfolio, no model, no key."""
