"""Views of the roadmap app, one module per area: catalog, plan, step, visuals."""
