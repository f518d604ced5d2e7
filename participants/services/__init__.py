"""Every state change of the participants app, one module per area, one function per verb."""
