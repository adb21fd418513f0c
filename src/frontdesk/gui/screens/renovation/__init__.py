"""装修: renovation applications through to closing, and the daily site round."""
