"""The same edit rules and claims, evaluated by rxadj and by the engines claims teams consider.

``rulesets`` builds rule sets of any size from the standard edit set plus realistic
generated variants; ``claims`` builds claims and their facts exactly as the
adjudication engine does; ``adapters`` puts rxadj, durable_rules, rule-engine and
zen-engine behind one interface; ``worker`` measures one engine at one size in a
fresh process (so a hang or a crash is a result, not a lost run); ``compare``
runs them all and writes the Markdown table and the JSON.
"""
