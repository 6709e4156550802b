"""The tone assistant: advice on a reply draft before it is sent, never a block.

The rules are data, one TOML file per language in ``rules/``. Each rule has an id, a kind
(``pattern`` matches its regular expression, unless its ``unless`` one matches too;
``no_greeting``, ``no_name`` and ``no_apology`` look at the draft's opening and at the
customer's last message), an explanation in every agent language and a suggested
alternative in the file's language. The explanations live in the rule files rather than
in gettext catalogues so that a rule is one self-contained piece of data: whoever adds
or changes a rule (often a team lead with a linguist, not a developer) edits one block
and ships it with no catalogue rebuild, and ``makemessages`` would not see TOML anyway.
"""
