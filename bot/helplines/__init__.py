"""The helpline directory: who to call, per country and purpose, with where each number comes from."""
