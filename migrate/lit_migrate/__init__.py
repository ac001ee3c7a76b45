"""lit-migrate: rewrite pytorch_lightning 1.x code into Lightning 2.x code. Never imports torch."""
