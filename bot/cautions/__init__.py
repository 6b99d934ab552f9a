"""Safe-first cautions: written once in content/cautions.yaml, shown where police or embassy advice is."""
