"""The web UI: pages rendered on the server from the query layer, with plain CSS, SVG and a little JS."""
