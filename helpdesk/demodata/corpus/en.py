"""English: what customers write and how the team answers."""

# ruff: noqa: E501  (one message per line reads better than wrapped fragments)

SUBJECTS = {
    "wismo": [
        "Where is my order {order}?",
        "Order {order} still not delivered",
        "Tracking hasn't updated for {days} days",
    ],
    "damaged": ["{product} arrived damaged", "Broken on arrival – order {order}", "Damaged parcel"],
    "return": [
        "Return request for order {order}",
        "I'd like to return the {p}",
        "How do I send this back?",
    ],
    "refund": ["Refund for order {order}?", "Still waiting for my refund", "Where is my money?"],
    "size": [
        "Size {size} is too small",
        "Exchange for a different size",
        "Wrong size – exchange please",
    ],
    "warranty": [
        "Warranty claim: {product}",
        "{product} stopped working",
        "Fault after a few months",
    ],
    "invoice": ["Invoice for order {order}", "VAT invoice needed", "Copy of my invoice please"],
    "address": [
        "Change delivery address for {order}",
        "Wrong address on my order",
        "Can I still change the address?",
    ],
    "loyalty": [
        "Question about my loyalty points",
        "Points missing from my account",
        "How do I use my points?",
    ],
    "product": [
        "Is the {product} compatible?",
        "Question about the {product}",
        "Before I buy: {product}",
    ],
}

OPENINGS = {
    "wismo": [
        'Hello,\n\nI ordered the {p} on {date} (order {order}) and it still hasn\'t arrived. The {carrier} tracking page has said "in transit" for {days} days now. Could you check what is going on?\n\nThanks,\n{first}',
        "Hi there,\n\nI placed order {order} on {date} and nothing has arrived yet. I need the {p} for the weekend. Can you tell me when it will be delivered?\n\nBest regards,\n{first} {last}",
        "Good morning,\n\nthe tracking number {tracking} hasn't shown anything since the parcel left your warehouse. Is my order {order} lost? I'd rather not wait much longer.\n\n{first}",
    ],
    "damaged": [
        "Hello,\n\nmy order {order} arrived today, but the {p} is damaged: the housing is cracked and one corner is dented. The box was already torn when the courier handed it over. I've attached photos. What can we do?\n\nKind regards,\n{first} {last}",
        "Hi,\n\nI unpacked the {p} this morning and it doesn't work – it looks like it was dropped in transit, something is rattling inside. I would like a replacement, please.\n\n{first}",
        "Dear customer service,\n\nthe {p} from order {order} came with a broken glass part. I can't use it like this. Please let me know how to proceed.\n\nBest,\n{first} {last}",
    ],
    "return": [
        "Hello,\n\nI'd like to return the {p} from order {order}. It works fine, but it's not what I expected. Can you send me a return label?\n\nThank you,\n{first} {last}",
        "Hi,\n\nI bought the {p} a couple of weeks ago and want to send it back. Is that still possible? I still have the original packaging.\n\nRegards,\n{first}",
        "Good afternoon,\n\nplease cancel my purchase of the {p} (order {order}). I've found it cheaper elsewhere. How does the return work?\n\n{first} {last}",
    ],
    "refund": [
        "Hello,\n\nI sent the {p} back on {date} and the tracking says it was delivered to you, but I haven't received my refund yet. Can you check, please?\n\n{first} {last}",
        "Hi,\n\nit's been more than two weeks since I returned order {order}. When will the {amount} be refunded?\n\nThanks,\n{first}",
        "Dear team,\n\nI received an email saying my return was processed, but the money isn't in my account. Which account did you refund to?\n\nKind regards,\n{first} {last}",
    ],
    "size": [
        "Hello,\n\nI ordered the {p} in size {size}, but it is too small. Could I exchange it for size {size2}? Order {order}.\n\nThank you,\n{first}",
        "Hi,\n\nthe {p} from order {order} is too big, even though I usually wear {size}. Can I swap it for a smaller size, and do I have to pay for shipping again?\n\nBest,\n{first} {last}",
        "Good evening,\n\nyou sent me size {size} instead of the {size2} I ordered. Please send the right size.\n\n{first} {last}",
    ],
    "warranty": [
        "Hello,\n\nmy {p} (order {order}) stopped working last week. It doesn't switch on any more, although I've tried another socket. It is still under warranty. How do I get it repaired?\n\nKind regards,\n{first} {last}",
        "Hi,\n\nthe {p} I bought from you has developed a fault: it switches itself off after a few minutes. Can you repair or replace it under warranty?\n\n{first}",
        "Dear customer service,\n\nafter only a few months the {p} is making a loud noise and no longer works properly. I'd like to make a warranty claim.\n\nBest regards,\n{first} {last}",
    ],
    "invoice": [
        "Hello,\n\ncould you send me a copy of the invoice for order {order}? I need it for my tax return.\n\nThanks,\n{first} {last}",
        "Hi,\n\nI need an invoice for order {order} with my company name and VAT number. Can you issue one?\n\nCompany: {last} Ltd\n\nBest,\n{first} {last}",
        "Good morning,\n\nthe invoice for my last order is missing from my customer account. Can you email it to me?\n\n{first}",
    ],
    "address": [
        "Hello,\n\nI just placed order {order} and noticed that my old address was used. Please deliver to {street}, {city} instead. Is that still possible?\n\nThanks,\n{first} {last}",
        "Hi,\n\nI'm moving at the end of the week. Could you change the delivery address of order {order} to {street}, {city}?\n\n{first}",
        "Good evening,\n\nI made a typo in the house number of my delivery address. The correct address is {street}, {city}. Order {order}.\n\nKind regards,\n{first} {last}",
    ],
    "loyalty": [
        "Hello,\n\nI placed order {order} but I don't see the points in my account yet. Did something go wrong?\n\nThanks,\n{first} {last}",
        "Hi,\n\nI have {points} points. What can I get for them and how do I redeem them?\n\n{first}",
        'Good day,\n\nwhy do some of my points show as "pending"? I bought the {p} weeks ago.\n\nRegards,\n{first} {last}',
    ],
    "product": [
        "Hello,\n\nbefore I order: does the {product} come with a European plug, and is there a manual in English?\n\nThanks,\n{first}",
        "Hi,\n\nI'm interested in the {product}. How loud is it, and how long is the warranty?\n\nBest regards,\n{first} {last}",
        "Good afternoon,\n\ndo you know when the {product} will be back in stock? I'd like to buy two.\n\n{first} {last}",
    ],
}

SHORT = {
    "wismo": [
        "Hi, where is my order {order}? Tracking hasn't moved in {days} days",
        "hello, my {p} still hasn't arrived. order {order}",
    ],
    "damaged": [
        "Hi, my {p} arrived broken. Order {order}. Can I get a new one?",
        "the parcel was damaged and the {p} is cracked :( what do I do",
    ],
    "return": [
        "Hi, can I still return the {p}? order {order}",
        "I want to send back my order {order}, how does it work?",
    ],
    "refund": [
        "hi, still no refund for order {order}, I returned it on {date}",
        "When do I get my money back for the {p}?",
    ],
    "size": [
        "hi, can I exchange the {p} from size {size} to {size2}?",
        "wrong size delivered, ordered {size2} got {size}",
    ],
    "warranty": [
        "my {p} stopped working, still under warranty. order {order}",
        "Hi, warranty question: the {p} broke after a few months",
    ],
    "invoice": [
        "Hi, can you send me the invoice for order {order}?",
        "need an invoice copy for {order} please",
    ],
    "address": [
        "can I change the address for order {order}? new one: {street}, {city}",
        "Hi, wrong address on {order}, it should be {street}",
    ],
    "loyalty": ["hi, where are my points for order {order}?", "how can I use my points?"],
    "product": [
        "Hi, is the {product} in stock?",
        "quick question about the {product}: does it come with a charger?",
    ],
}

REPLIES = {
    "wismo": [
        "Thank you for your patience. I have checked order {order} with {carrier}: the parcel is at their regional depot and is scheduled for delivery within the next two working days. You can follow it with the tracking number {tracking}.\n\nIf it has not arrived by then, just reply to this message and I will open an investigation with the carrier right away.",
        "I'm sorry your order is taking longer than expected. {carrier} has confirmed a delay at their hub because of high parcel volumes. Your parcel ({tracking}) is moving again and should reach you by {eta}.",
    ],
    "damaged": [
        "I'm really sorry the {p} arrived like this. Could you send us one or two photos of the damage and of the shipping label on the box? As soon as we have them, I'll arrange a replacement free of charge.",
        "Thank you for the photos – that clearly happened in transit. A replacement leaves our warehouse today. You don't need to send the damaged one back; please dispose of it responsibly.",
    ],
    "return": [
        "Of course. Your order {order} is still within the 30-day return window (until {date}). I've attached a prepaid return label – pack the {p} in its original box if you still have it, stick the label on and drop it off at any {carrier} point. As soon as it reaches our warehouse, we'll refund you.",
        "Thanks for letting us know. I've created return {rma} for the {p}; the label is attached. Please drop the parcel off within 14 days. The refund is issued as soon as our warehouse has checked the item, usually within 3 working days.",
    ],
    "refund": [
        "I've checked: your return arrived at our warehouse on {date} and the refund of {amount} was issued today to the payment method you used for the order. Banks usually need 3–5 working days to show it.",
        "Sorry for the wait. Your parcel reached us, but the return had not been booked yet – that was our mistake. I've just issued the refund of {amount}; you'll receive a confirmation by email shortly.",
    ],
    "size": [
        "No problem at all. I've reserved the {p} in size {size2} for you and attached a free return label for the one you have. The new size ships as soon as {carrier} scans your parcel – usually the same day.",
        "I'm sorry about the mix-up. Size {size2} is on its way to you today at no cost (tracking {tracking}). Please send the wrong size back with the label in the parcel.",
    ],
    "warranty": [
        "I'm sorry to hear that. Your {p} is covered by warranty until {date}. I've created repair case {rma} and attached a free shipping label. Please send the device without accessories; our service partner usually needs 7–10 working days.",
        "Thanks for the details. Could you tell me the serial number (on the sticker underneath) and whether the fault happens every time? Then I can decide whether we repair it or send you a new one straight away.",
    ],
    "invoice": [
        'Of course – you\'ll find the invoice for order {order} attached as a PDF. You can also download all your invoices in your customer account under "My orders".',
        "I've reissued the invoice with your company name and VAT number and attached it here. The original invoice has been cancelled, so only the new one is valid.",
    ],
    "address": [
        "Thanks for letting us know in time. Your order hadn't left the warehouse yet, so I've changed the delivery address to {street}, {city}. You'll get a new shipping confirmation.",
        "Your parcel has already been handed to {carrier}, so I can't change the address on our side any more. I've asked {carrier} to redirect it to {street}, {city}; they usually confirm within a day. You can also change it yourself on their website with tracking number {tracking}.",
    ],
    "loyalty": [
        "Your points for order {order} are there, they're just still pending: points for a purchase are confirmed once the 30-day return window has ended ({date}). After that you can use them straight away.",
        "With {points} points you can already choose a reward – for example free shipping (300 points) or a €5 voucher (500 points). I've emailed you the link to your loyalty page, where you can redeem them with one click.",
    ],
    "product": [
        "Yes, the {product} comes with a European plug and a printed manual in English, German and Turkish. The warranty is 24 months from delivery.",
        "The {product} is expected back in stock on {date}. If you like, I can let you know as soon as it's available again.",
    ],
}

# The first answer to a return after the window has ended.
LATE_RETURN = [
    "The 30-day return window for order {order} ended on {date}, so a regular return is no longer possible. As a one-off goodwill gesture I can still take the {p} back if it is unused and in its original packaging – you'd get a voucher for the full amount. Would that work for you?",
]

FOLLOW_UPS = {
    "wismo": [
        "Thanks for checking. It still hasn't arrived and the tracking hasn't changed. What happens now?",
        "Unfortunately nothing has arrived so far. Could you send me a replacement instead?",
    ],
    "damaged": [
        "Here are the photos of the damage and the label. I hope that helps.",
        "Thanks! Do I need to be at home for the delivery, or can it go to a parcel locker?",
    ],
    "return": [
        "Thanks, I dropped the parcel off today. When will I get my money back?",
        "The label doesn't print properly – could you send it again as a PDF?",
    ],
    "refund": [
        "I paid with PayPal, not by card. Will it still go back to PayPal?",
        "It has been five working days and I still don't see anything.",
    ],
    "size": [
        "Great, I sent the old one back this morning.",
        "Is size {size2} definitely in stock? I need it for a trip next week.",
    ],
    "warranty": [
        "The serial number is {tracking}. Yes, it happens every time.",
        "I sent it off today. Will I get a replacement device in the meantime?",
    ],
    "invoice": [
        "Thanks. Could you also add my company's address? It's different from the delivery address.",
        "Got it, thank you! One more thing: can the invoice show the order date as well?",
    ],
    "address": [
        "Thank you! Will the delivery date stay the same?",
        "{carrier} says they can't redirect it. What now?",
    ],
    "loyalty": [
        "OK, thanks. And do the points expire?",
        "I've redeemed the voucher, but where do I enter the code?",
    ],
    "product": [
        "Great, and can I return it if I don't like it?",
        "Yes please, let me know when it's back.",
    ],
}

CLOSINGS = {
    "wismo": [
        "I've opened an investigation with {carrier} and, so you don't have to wait any longer, we're sending you a replacement by express today. You'll get the new tracking number by email. If the first parcel turns up after all, you can simply refuse it.",
        "{carrier} has now confirmed the parcel as lost. I've refunded the full amount of {amount} to your original payment method; it usually shows up within 3–5 working days. I'm sorry for the trouble.",
    ],
    "damaged": [
        "Thanks, that's all we need. Your replacement is on its way with tracking number {tracking}. If anything else is wrong with it, just let me know.",
        "{carrier} will deliver to your home, and if you're out they'll leave it at the nearest parcel locker. The replacement should arrive by {eta}.",
    ],
    "return": [
        "Your return has arrived at our warehouse and everything is fine. I've refunded {amount} to your original payment method; depending on your bank it takes 3–5 working days to show up.",
        "Here is the label again as a PDF. Once the parcel is on its way there's nothing else you need to do – we'll let you know when the refund has been issued.",
    ],
    "refund": [
        "Yes, the refund always goes back to the original payment method, so it will appear in your PayPal account – usually faster than with cards.",
        "I've asked our payments team to check: the refund of {amount} was confirmed by the bank on {date} with reference {rma}. If you still can't see it, your bank can trace it with that reference.",
    ],
    "size": [
        "Your exchange parcel has left our warehouse, tracking number {tracking}. Enjoy it!",
        "Yes, it's reserved for you and already packed. It should arrive by {eta}, well before your trip.",
    ],
    "warranty": [
        "Our service partner has checked the {p}: the power board was faulty and has been replaced. It is on its way back to you (tracking {tracking}) and comes with a further 6 months of warranty on the repair.",
        "Since this fault is known for this batch, we won't repair it – a brand-new {p} is on its way to you today. Keep the old one until the new one arrives, then send it back with the same label.",
    ],
    "invoice": [
        "Done – the corrected invoice with your company's address and the order date is attached.",
        "You're welcome! The invoice now shows the order date too; the new PDF is attached.",
    ],
    "address": [
        "Yes, the delivery date stays the same – it should arrive by {eta}.",
        "In that case the parcel will come back to us, and I'll send it out again to {street}, {city} at no extra cost as soon as it arrives. I'll keep an eye on it for you.",
    ],
    "loyalty": [
        "Points only expire after 12 months without any activity in your account – every purchase or redemption resets that clock. We'll also remind you 30 days before.",
        'You enter the coupon code at checkout in the "Voucher" field, just above the payment options. Each code can be used once.',
    ],
    "product": [
        "Of course – you have 30 days after delivery to return it, no reasons needed, and the return label is free.",
        "I've made a note of it. You'll receive an email as soon as the {product} is back in stock.",
    ],
}

NOTES = {
    "wismo": [
        "Carrier case opened with {carrier}, reference {tracking}. Check again in 48 h.",
        "Parcel stuck at the hub since the strike. Offered express replacement if it isn't moving by Friday.",
    ],
    "damaged": [
        "Photos received, damage clearly from transport. Claim filed with {carrier}.",
        "Third damaged item from this batch this week – asked the warehouse to check the packaging.",
    ],
    "return": [
        "Return {rma} created, label sent. Item unused according to the customer.",
        "Second return this year – within policy, fine.",
    ],
    "refund": [
        "Refund {rma} issued, {amount}. Warehouse had not booked the return – reported to logistics.",
        "Partial refund only: accessories were missing from the return.",
    ],
    "size": [
        "Exchange booked {size} → {size2}, stock checked.",
        "This model runs small – several exchanges this month. Suggested a size note on the product page.",
    ],
    "warranty": [
        "Repair case {rma} opened with the service partner.",
        "Known fault in batch 2023-11: replace instead of repair (approved by the team lead).",
    ],
    "invoice": [
        "Invoice reissued with VAT number, original cancelled in accounting.",
        "Invoice missing from the customer account – known sync issue with accounting, reported.",
    ],
    "address": [
        "Address changed in the shop system before picking.",
        "Redirect requested with {carrier}, ref. {tracking}.",
    ],
    "loyalty": [
        "Points pending until the return window ends – explained to the customer.",
        "Added goodwill points for the trouble with the last order.",
    ],
    "product": [
        "Pre-sales question, no order yet.",
        "Asked the product team about the restock date.",
    ],
}

GREETING = "Hello {first},"
SIGN_OFF = "Kind regards,\n{agent}\nCustomer care"
THANKS = [
    "Thank you, that's great!",
    "Perfect, thanks for the quick help.",
    "Thanks a lot, all sorted.",
    "OK, thank you very much!",
]
# An agent's record of a phone call or a visit (the first message of the ticket they open),
# in the agent's own language.
CALL = "Phone call with {first} {last}: {summary}"
VISIT = "{first} {last} came to the shop: {summary}"
SUMMARIES = {
    "wismo": "the parcel for order {order} has not arrived; checked {tracking} with {carrier}, it is at the depot.",
    "damaged": "order {order} arrived damaged; replacement arranged, nothing to send back.",
    "return": "wants to return order {order}; return {rma} created, label sent by email.",
    "refund": "asked about the refund for order {order}; refund of {amount} confirmed.",
    "size": "needs size {size2} instead of {size}; exchange booked.",
    "warranty": "the device from order {order} is faulty; repair case {rma} opened.",
    "invoice": "needed a copy of the invoice for order {order}; sent it by email.",
    "address": "new delivery address for order {order}: {street}, {city}. Changed.",
    "loyalty": "asked how to use the loyalty points; explained the rewards.",
    "product": "questions about the {product} before buying; answered.",
}

CSAT_COMMENTS = {
    "happy": [
        "Quick and friendly, thank you!",
        "Problem solved with one email. Great service.",
        "Very helpful, thanks to the whole team.",
        "Fast replacement, very happy.",
    ],
    "neutral": ["OK, but it could have been faster.", "Fine in the end, but I had to ask twice."],
    "unhappy": [
        "It took far too long to get an answer.",
        "I had to explain the problem three times.",
        "Still no refund after two weeks.",
        "The replacement arrived damaged too.",
    ],
}
NPS_COMMENTS = {
    "promoter": [
        "Great products and fast delivery.",
        "I always order here, never had a problem.",
        "Good prices, quick shipping.",
    ],
    "passive": ["Delivery took a bit long.", "Good, but the packaging could be better."],
    "detractor": [
        "The parcel arrived late and damaged.",
        "Far too much packaging and the delivery was late.",
        "Customer service was hard to reach.",
    ],
}

RECOVERY_REPLIES = [
    "I lead the customer care team and read your feedback. I'm sorry we let you down. As an apology I've refunded your shipping costs, and your next order ships free. If there's anything else, reply to this email and it comes straight to me.",
    "Thank you for your honest rating. You're right: it took us far too long. I've gone through your case with the team so it doesn't happen again, and I'd like to make it up to you – please reply if anything is still open.",
]
RECOVERY_THANKS = [
    "Thank you for getting back to me personally. That's fine now.",
    "Thanks, I appreciate it. All good.",
]
RECOVERY_NOTES = [
    "Called the customer, apologised, shipping refunded.",
    "Customer happy with the goodwill gesture.",
    "Spoke to the customer; problem fixed, will order again.",
]
GOODWILL_REASONS = [
    "Sorry for the late delivery",
    "Apology for the damaged parcel",
    "Thank you for your patience",
]
CUSTOMER_NOTES = [
    "Prefers to be contacted by WhatsApp.",
    "Regular customer for years, always very friendly.",
    "Hard of hearing – please write rather than call.",
    "Orders for her mother; the delivery address often differs.",
]
