"""催缴: the arrears list, batch notices, follow-ups and the notices' wording."""
