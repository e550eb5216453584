"""The question library: standard RTI questions about face-recognition and AI cameras, in
English and Hindi, for volunteers to pick and edit when they write an application.

The first three are the seed case's (Lucknow's 200 hotspots): where the cameras
are, how accurate they are, who sees the data. Each asks for records, not
opinions, and names a period, as PIOs answer best. The Hindi text uses the
glossary's terms (``locale/hi/GLOSSARY.md``).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    topic: str  # English heading
    topic_hi: str
    en: str
    hi: str

    def text(self, language: str) -> str:
        return self.hi if language == "hi" else self.en


QUESTIONS = (
    Question(
        "locations",
        "Where the cameras are",
        "कैमरे कहाँ हैं",
        "The list of places (with addresses or coordinates) where cameras with face "
        "recognition or other AI analytics have been installed or are planned, with the "
        "number of cameras at each place and the date each was installed.",
        "उन स्थानों की सूची (पते या निर्देशांक सहित) जहाँ चेहरा पहचान या अन्य एआई विश्लेषण "
        "वाले कैमरे लगाए गए हैं या लगाए जाने प्रस्तावित हैं, हर स्थान पर कैमरों की संख्या और "
        "हर कैमरा लगाए जाने की तारीख़ के साथ।",
    ),
    Question(
        "accuracy",
        "Accuracy and audits",
        "सटीकता और ऑडिट",
        "Copies of every test, evaluation or audit of the system's accuracy (true and false "
        "matches, by gender, age and skin tone where measured), including the vendor's own "
        "figures and any independent audit, and the date of each.",
        "प्रणाली की सटीकता की हर जाँच, मूल्यांकन या ऑडिट की प्रतियाँ (सही और ग़लत मिलान, जहाँ "
        "मापा गया हो वहाँ लिंग, आयु और त्वचा के रंग के अनुसार), जिनमें विक्रेता के अपने आँकड़े "
        "और कोई भी स्वतंत्र ऑडिट शामिल हो, हर एक की तारीख़ के साथ।",
    ),
    Question(
        "access",
        "Who can see the data",
        "डेटा कौन देख सकता है",
        "The list of offices, officers and outside bodies (including the vendor) that can "
        "see or search the images, face data and alerts, the orders that give them access, "
        "and the records of who searched them in the last twelve months.",
        "उन कार्यालयों, अधिकारियों और बाहरी संस्थाओं (विक्रेता सहित) की सूची जो चित्र, चेहरे का "
        "डेटा और अलर्ट देख या खोज सकते हैं, उन्हें यह पहुँच देने वाले आदेश, और पिछले बारह "
        "महीनों में किसने खोज की इसके अभिलेख।",
    ),
    Question(
        "retention",
        "What is stored and for how long",
        "क्या संग्रहीत होता है और कितने समय तक",
        "The orders, policies or standard operating procedures that say what the system "
        "stores (video, face images, face templates, alerts), where, for how long, and how "
        "it is deleted.",
        "वे आदेश, नीतियाँ या मानक संचालन प्रक्रियाएँ जो बताती हैं कि प्रणाली क्या संग्रहीत करती "
        "है (वीडियो, चेहरे के चित्र, चेहरे के टेम्पलेट, अलर्ट), कहाँ, कितने समय तक, और उसे कैसे "
        "हटाया जाता है।",
    ),
    Question(
        "watchlists",
        "Watchlists and matching",
        "निगरानी सूचियाँ और मिलान",
        "The databases and watchlists that faces are matched against (for example CCTNS), "
        "the number of people on each, the rules for adding or removing a person, and the "
        "number of alerts and of arrests following an alert in the last twelve months.",
        "वे डेटाबेस और निगरानी सूचियाँ जिनसे चेहरों का मिलान किया जाता है (जैसे सीसीटीएनएस), हर "
        "एक में लोगों की संख्या, किसी व्यक्ति को जोड़ने या हटाने के नियम, और पिछले बारह महीनों "
        "में अलर्ट की संख्या और अलर्ट के बाद हुई गिरफ़्तारियों की संख्या।",
    ),
    Question(
        "legal_basis",
        "Legal basis",
        "क़ानूनी आधार",
        "The law, rule, government order or notification under which the system was "
        "approved and is operated, and the minutes of the meeting that approved it.",
        "वह क़ानून, नियम, सरकारी आदेश या अधिसूचना जिसके तहत प्रणाली को मंज़ूरी दी गई और चलाया "
        "जाता है, और उसे मंज़ूरी देने वाली बैठक का कार्यवृत्त।",
    ),
    Question(
        "vendor_cost",
        "Vendor and cost",
        "विक्रेता और लागत",
        "The name of the vendor, copies of the tender, the purchase order and the contract, "
        "the total cost with its source of funds (for example the Nirbhaya Fund or the "
        "Smart Cities Mission), and the payments made so far.",
        "विक्रेता का नाम, निविदा, क्रय आदेश और अनुबंध की प्रतियाँ, धन के स्रोत (जैसे निर्भया फ़ंड "
        "या स्मार्ट सिटी मिशन) सहित कुल लागत, और अब तक किए गए भुगतान।",
    ),
    Question(
        "privacy_assessment",
        "Privacy impact assessment",
        "निजता प्रभाव आकलन",
        "A copy of any privacy impact assessment, data protection assessment or human "
        "rights assessment made before or after the system was installed; if none was "
        "made, a statement saying so.",
        "प्रणाली लगाए जाने से पहले या बाद में किए गए किसी भी निजता प्रभाव आकलन, डेटा संरक्षण "
        "आकलन या मानवाधिकार आकलन की प्रति; यदि कोई आकलन नहीं किया गया, तो यह बताने वाला "
        "कथन।",
    ),
)

QUESTIONS_BY_KEY = {question.key: question for question in QUESTIONS}
