"""Demo capability evidence: what each supplier says about how it meets each capability.

Keyed by supplier key, then capability key (see portal/seed/frameworks.py CAPABILITIES). A supplier
claims a capability on every lot it belongs to that lists the capability and for which it has
evidence here, so a supplier's claims differ from lot to lot. The text feeds catalogue search.
"""

from __future__ import annotations

EVIDENCE: dict[str, dict[str, str]] = {
    "orlo": {
        "channels": "Orlo's unified publisher and inbox bring Facebook, X, Instagram, LinkedIn, YouTube, Nextdoor "
        "and WhatsApp Business accounts into one workspace, so force, neighbourhood and specialist accounts are "
        "managed side by side. Replies from every channel land in a single triaged inbox.",
        "secure": "Access is through Microsoft Entra ID single sign-on with role-based permissions per account and "
        "team. Every post, reply, approval and permission change is written to an exportable audit log kept for "
        "seven years. Data is hosted in UK data centres and the platform is penetration tested every year.",
        "standards": "Our account governance module maps to the national guidance for police use of social media: "
        "account ownership, naming conventions, dormant-account checks and training records. Published content is "
        "retained and exported in line with each force's records management policy.",
        "insights": "Dashboards report reach, engagement and sentiment by account, area and campaign, and can be "
        "scheduled as weekly PDF reports for chief officers. Audience insight is aggregated so that no individual "
        "member of the public is profiled.",
        "incident": "A single 'pause all' control stops every scheduled post across every account when a critical "
        "incident is declared, and the log records who paused and resumed content. Pre-approved holding statements "
        "can be published to all channels in one action, or the pause scoped to one area.",
        "listening": "Keyword and location-based listening streams pick up community conversation about "
        "neighbourhoods, events and emerging tensions. Results feed straight into the inbox so officers can reply "
        "publicly or privately from the same screen.",
        "contact247": "The inbox supports round-the-clock contact handling with shift-based queue assignment and a "
        "service level timer on every conversation. Forces use it to run a 24/7 digital desk alongside their 101 "
        "team, with automatic out-of-hours acknowledgements.",
        "crime_reporting": "Messages that look like crime or incident reports are flagged, and a structured form "
        "captures what is needed to record them to the same standard as a 101 call. A THRIVE prompt and one-click "
        "hand-off to the control room make sure nothing is missed.",
        "young_people": "Approval rules and a safeguarding keyword list help teams engage safely with young people "
        "on Instagram and TikTok. Concerns are escalated to a named safeguarding lead with the full conversation.",
        "mobile": "iOS and Android apps are deployed through Microsoft Intune, so officers can post and reply from "
        "force-issued devices. The apps follow the same approval workflows and permissions as the web platform.",
    },
    "softcat": {
        "channels": "Salesforce Service Cloud with Digital Engagement brings social accounts, SMS, WhatsApp and web "
        "messaging into one omni-channel console. Softcat configures a workspace for each force account with "
        "shared routing rules, so every message reaches the right team.",
        "secure": "The solution runs on Salesforce's UK-hosted infrastructure with field-level security, event "
        "monitoring and a field audit trail. Our implementation includes single sign-on, least-privilege profiles "
        "and a completed data protection impact assessment.",
        "standards": "Softcat delivers a configuration pack aligned with national social media guidance for "
        "policing, covering account ownership, retention schedules and accessibility checks on published content. "
        "The pack is reviewed each year with the customer's corporate communications lead.",
        "insights": "CRM Analytics dashboards show volumes, response times, topics and sentiment by channel and "
        "area. Data can be joined with other force data sets under the force's own information governance.",
        "incident": "A critical-incident playbook pauses scheduled publishing and switches routing to an incident "
        "queue in one action by an authorised user. Every step is time-stamped for the post-incident review.",
        "listening": "Social listening rules by topic, keyword and neighbourhood surface community issues and "
        "escalate emerging concerns to the relevant team, who reply from the same console. "
        "Alerts can be set for named events, such as a protest or a major football fixture.",
        "contact247": "Softcat provides 24/7 managed service support, and omni-channel routing lets forces staff a "
        "digital contact queue around the clock. Service levels are tracked per conversation with breach alerts "
        "to supervisors.",
        "crime_reporting": "Contacts become structured cases that mirror 101 recording standards, with mandatory "
        "THRIVE fields, vulnerability flags and hand-off to the force's command and control system through APIs. "
        "Quality assurance sampling checks that records meet the standard before closure.",
        "young_people": "Age-appropriate response templates and safeguarding triggers route concerns about "
        "children to trained staff. We have delivered youth engagement journeys for councils on the same tooling.",
        "webchat": "Embedded messaging places a chat widget on force and council websites that routes into the "
        "same queue as social media. A bot answers common questions and hands over to a person at any point.",
        "accessibility": "The chat widget and public forms are tested against WCAG 2.2 AA, and replies can be "
        "translated in real time into more than 30 languages. Each deployment comes with an accessibility statement.",
        "mobile": "The Salesforce mobile app gives officers their queues and cases on force-issued devices, with "
        "mobile device management policies enforced through Microsoft Intune. "
        "Push notifications tell officers when a conversation in their queue needs a reply.",
    },
    "beaconengage": {
        "channels": "Beacon's single inbox handles Facebook, Instagram, X, Nextdoor, WhatsApp and website chat. "
        "Teams publish to many accounts from one calendar with colour-coded campaigns.",
        "secure": "Two-factor sign-in or SSO, granular roles and an immutable audit trail come as standard. Data is "
        "hosted in UK regions, and we hold Cyber Essentials Plus and ISO 27001.",
        "standards": "Onboarding includes a governance review against national social media standards for the "
        "emergency services, with templates for account policies and content retention. "
        "A named customer success manager runs a governance health check every six months.",
        "insights": "Monthly insight packs summarise engagement, sentiment and top topics, and a self-service "
        "dashboard gives communications leads the same figures at any time. "
        "Figures can be broken down by neighbourhood policing team.",
        "incident": "Incident mode pauses scheduled posts across all accounts and pins a holding message. Only duty "
        "managers can switch it on and off, and every change is logged.",
        "listening": "Community listening uses keyword and geofence rules, so neighbourhood teams see conversation "
        "about their own patch and reply in the platform. "
        "Alerts notify the duty inspector when conversation about an area spikes.",
        "contact247": "Beacon runs a UK-based 24/7 contact team, vetted to NPPV level 2, that answers public "
        "messages on the customer's behalf using agreed scripts and escalation routes. "
        "Shift handovers and escalations are logged, and customers can watch the queue live.",
        "crime_reporting": "Our contact team records crimes and incidents to the force's own 101 recording standard "
        "and passes urgent matters to the control room by phone within agreed times. Each report keeps a "
        "time-stamped transcript.",
        "young_people": "We run youth engagement on Snapchat and TikTok with safeguarding-trained moderators, and "
        "follow each customer's safeguarding referral process. "
        "Our moderators complete annual safeguarding refresher training.",
        "webchat": "Our web chat widget installs with one line of script and shares the queue, reporting and audit "
        "trail used for social media contact. "
        "Opening hours, greetings and canned replies are set by the customer.",
        "accessibility": "Beacon's public chat widget meets WCAG 2.2 AA, works with screen readers and supports BSL "
        "video relay through a specialist partner. "
        "An independent accessibility audit is repeated every year.",
    },
    "signalhouse": {
        "channels": "Signalhouse connects every corporate and neighbourhood account to one publishing calendar, "
        "with drag-and-drop scheduling and a shared library of approved images and video. "
        "Neighbourhood teams see only their own accounts unless the corporate team grants more.",
        "secure": "Permissions are set per account and per team, and every action is logged. Sign-in is through "
        "Microsoft Entra ID, so the customer's own conditional access policies apply.",
        "insights": "Neighbourhood insight maps show where conversation and engagement come from, down to ward "
        "level, without profiling individuals. Reports export to Excel and PowerPoint.",
        "incident": "The 'hold all' button suspends scheduled content across the organisation and notifies every "
        "publisher. Content is released again selectively once the incident is stood down.",
        "listening": "Listening is our core strength: community streams follow local groups, hashtags and places, "
        "and an early-warning score highlights rising community tension for neighbourhood teams. Officers can "
        "reply directly from a stream.",
    },
    "civicpulse": {
        "channels": "CivicPulse Engage manages corporate social media, SMS and email newsletters from one console, "
        "with approval chains that follow each organisation's structure. "
        "Templates keep branding and tone consistent across hundreds of accounts.",
        "secure": "The platform supports SAML single sign-on, IP allow-listing and audit logs kept for as long as "
        "the customer chooses. Hosting is in UK Azure regions.",
        "standards": "We keep a compliance map against national social media standards for the emergency services "
        "and share it with customers every quarter. "
        "Changes in national guidance are reflected in the product within one release cycle.",
        "insights": "Analytics are included in every licence: reach, engagement, sentiment and response times, "
        "benchmarked against similar organisations. "
        "Reports are scheduled to arrive by email before monthly performance meetings.",
        "mobile": "Native iOS and Android apps support managed deployment and app protection policies, so staff use "
        "the platform on force devices without storing content locally. "
        "Offline drafting lets officers prepare posts where the signal is poor.",
        "contact247": "CivicPulse Connect is a managed digital contact centre working 24/7 from two UK sites, "
        "handling social media and messaging contact for emergency services. "
        "Agents are vetted to NPPV level 2 and trained on each customer's scripts.",
        "crime_reporting": "Connect agents record crimes and incidents reported online on a template aligned with "
        "national crime recording standards, then hand off to the control room by API or secure email. "
        "Every record keeps the original message, the agent's notes and a THRIVE assessment.",
    },
    "harbourline": {
        "contact247": "Harbourline staffs a digital contact desk 24 hours a day, 365 days a year, from contact "
        "centres in Cardiff and Swansea. Conversations are answered within agreed service levels and handed over "
        "with full notes at each shift change.",
        "crime_reporting": "Agents are trained in the force's 101 recording standard and in THRIVE assessment, and "
        "urgent reports go to the control room by phone. Each record includes the original message.",
        "secure": "Agents work on locked-down devices in secure rooms, and all access to customer systems is logged "
        "and reviewed every month. "
        "Our security policies are reviewed every year by an external auditor.",
        "young_people": "Youth-facing channels are moderated by safeguarding-trained staff, who escalate any concern "
        "about a child to the customer's safeguarding lead within 15 minutes. "
        "Moderators complete enhanced DBS checks before they start.",
        "webchat": "Our web chat service runs in Welsh and English around the clock and is added to the customer's "
        "website with a lightweight widget. "
        "Transcripts are sent to the customer's case system at the end of each chat.",
    },
    "tidewater": {
        "channels": "Tidewater puts every corporate and neighbourhood account into one mobile-first publisher, so "
        "officers and the corporate team share a single calendar. "
        "Posts can be scheduled to match shift patterns and local events.",
        "secure": "Guardrails let the corporate team set who may post where, pre-approve templates and require "
        "approval for sensitive topics. All activity is logged and exportable for audit.",
        "insights": "A weekly digest shows each neighbourhood team its reach and engagement, with a force-wide view "
        "for corporate communications. "
        "Teams can compare their results with the previous quarter.",
        "incident": "During a critical incident the corporate team can freeze every scheduled and officer-initiated "
        "post across the force in one tap, then publish approved updates centrally. "
        "The freeze is logged with the name of the person who applied and lifted it.",
        "listening": "Officers see a local listening feed for their beat and reply from their phone, with replies "
        "routed for approval where the force requires it. "
        "Feeds are filtered by postcode sector so that officers see what matters on their beat.",
        "young_people": "Templates for schools and youth engagement were co-designed with safeguarding leads, and "
        "keyword alerts flag worrying replies from young people. "
        "Any post aimed at under-18s needs a second approver.",
        "mobile": "Our apps are built for force-issued iOS and Android devices, support Intune and Workspace ONE "
        "management, and let officers draft offline where the signal is poor. "
        "Sign-in uses the force's own identity provider, with no passwords stored on the device.",
    },
}
