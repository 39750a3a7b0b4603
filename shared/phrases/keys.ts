// What the archive's own key and its address book of recipients say (electron/archive/keys.ts, bundle credentials).
import type { Translation } from './types.ts';

export const en = {
  // The archive's key and its passphrase.
  'keys.characters': { one: '{{count}} character', other: '{{count}} characters' },
  'keys.passphraseTooShort': {
    one: 'The passphrase is too short: it needs at least {{needed}} (it has {{count}}). A few unrelated words are easy to remember and hard to guess.',
    other: 'The passphrase is too short: it needs at least {{needed}} (it has {{count}}). A few unrelated words are easy to remember and hard to guess.',
  },
  'keys.passphraseTooSimple': 'The passphrase repeats too few different characters to be hard to guess; use a few unrelated words.',
  'keys.exists':
    'This archive already has its key ({{recipient}}). Sijil never replaces it, because bundles sent to it would become unreadable; to start over, move the {{folder}} folder out of the archive first.',
  'keys.existsUnknown':
    'This archive already has its key. Sijil never replaces it, because bundles sent to it would become unreadable; to start over, move the {{folder}} folder out of the archive first.',
  'keys.publicPartMissing': "The archive's key is there but its public part ({{file}}) is missing; unlock the key once with its passphrase (sijil key check) to restore it.",
  'keys.publicPartDamaged': "The archive's key is there but its public part ({{file}}) is damaged; unlock the key once with its passphrase (sijil key check) to restore it.",
  'keys.none': 'This archive has no key yet: make one with "sijil key new" (or under Settings → Keys).',
  'keys.wrongPassphrase': "The passphrase is wrong: it does not open this archive's key.",
  'keys.notPassphraseProtected': "{{file}} is not protected by a passphrase, so Sijil cannot open it as the archive's key.",
  'keys.keyFileDamaged': "The archive's key file ({{file}}) is damaged: {{error}}",
  'keys.noUsableKey': '{{file}} opens, but holds no usable secret key: {{error}}',
  'keys.noSecretKey': '{{file}} holds no secret key.',

  // The address book.
  'keys.recipientNameEmpty': 'A recipient needs a name.',
  'keys.recipientNameTooLong': { one: "A recipient's name can be at most {{count}} character.", other: "A recipient's name can be at most {{count}} characters." },
  'keys.recipientNameControls': "A recipient's name cannot hold control characters (line breaks, tabs or text-direction overrides).",
  'keys.secretNotRecipient':
    'That is a secret key (AGE-SECRET-KEY-…), which must never be shared or stored in the address book; a recipient is the public key, starting with age1.',
  'keys.notRecipient': '"{{text}}" is not a valid age recipient: a recipient is a public key starting with age1 (as age-keygen prints), copied whole.',
  'keys.notRecipientBecause': '"{{text}}" is not a valid age recipient: a recipient is a public key starting with age1 (as age-keygen prints), copied whole. {{detail}}',
  'keys.nameTaken': 'The address book already has "{{name}}"; remove it first, or choose another name.',
  'keys.nameTakenSameKey': 'The address book already has "{{name}}" with this key; remove it first, or choose another name.',
  'keys.keyListed': 'This key is already in the address book as "{{name}}".',
  'keys.noSuchRecipient': 'There is no "{{name}}" in the address book.',
  'keys.bookNotRecipient': '"{{text}}" is not an age recipient.',
  'keys.bookDamaged': 'The address book ({{file}}) is damaged: {{detail}} Fix or remove that file.',
  'keys.bookNotSijil': 'it is not an address book Sijil wrote.',

  // Writing and reading the keys folder.
  'keys.diskFull': 'The disk holding {{dir}} is full; free some space and try again.',
  'keys.mayNotWrite': "Sijil may not write in {{dir}} ({{code}}); check the folder's permissions.",
  'keys.unreadable': '{{file}} in the archive cannot be read ({{code}}).',

  // What protects a bundle, and what opens one (electron/archive/bundle/credentials.ts).
  'keys.unknownRecipient': '"{{name}}" is neither an age recipient (age1…) nor a name in this archive\'s address book.',
  'keys.noOwnKey': 'This archive has no key of its own yet: create one first (sijil key new).',
  'keys.passphraseOrKeys': 'A bundle is protected either by a passphrase or by keys, not both: choose one.',
  'keys.passphraseEmpty': 'The passphrase is empty.',
  'keys.chooseProtection': "Choose how to protect the bundle: a passphrase, the recipients' keys (age1…), or this archive's own key.",
  'keys.keyPassphraseNeeded': "The passphrase of this archive's key is needed to open the bundle with it.",
  'keys.chooseOpener': "Give what opens the bundle: its passphrase, a secret key (AGE-SECRET-KEY-1…), or this archive's own key.",
} as const;

export const ar: Translation<typeof en> = {
  'keys.characters': {
    zero: 'صفر حرف',
    one: 'حرف واحد',
    two: 'حرفان',
    few: '{{count}} أحرف',
    many: '{{count}} حرفًا',
    other: '{{count}} حرف',
  },
  'keys.passphraseTooShort': {
    zero: 'عبارة المرور قصيرة جدًا: تحتاج إلى {{needed}} على الأقل (وهي فارغة). بضع كلمات لا رابط بينها سهلة التذكر وصعبة التخمين.',
    one: 'عبارة المرور قصيرة جدًا: تحتاج إلى {{needed}} على الأقل (وفيها حرف واحد). بضع كلمات لا رابط بينها سهلة التذكر وصعبة التخمين.',
    two: 'عبارة المرور قصيرة جدًا: تحتاج إلى {{needed}} على الأقل (وفيها حرفان). بضع كلمات لا رابط بينها سهلة التذكر وصعبة التخمين.',
    few: 'عبارة المرور قصيرة جدًا: تحتاج إلى {{needed}} على الأقل (وفيها {{count}} أحرف). بضع كلمات لا رابط بينها سهلة التذكر وصعبة التخمين.',
    many: 'عبارة المرور قصيرة جدًا: تحتاج إلى {{needed}} على الأقل (وفيها {{count}} حرفًا). بضع كلمات لا رابط بينها سهلة التذكر وصعبة التخمين.',
    other: 'عبارة المرور قصيرة جدًا: تحتاج إلى {{needed}} على الأقل (وفيها {{count}} حرف). بضع كلمات لا رابط بينها سهلة التذكر وصعبة التخمين.',
  },
  'keys.passphraseTooSimple': 'في عبارة المرور أحرف مختلفة قليلة جدًا (تتكرر فيها الأحرف نفسها)، فيسهل تخمينها؛ استخدم بضع كلمات لا رابط بينها.',
  'keys.exists':
    'لهذا الأرشيف مفتاح من قبل ({{recipient}}). لا يستبدله سِجِل أبدًا، لأن ذلك يجعل الحزم المرسلة إليه غير قابلة للفتح؛ لتبدأ من جديد، انقل المجلد {{folder}} خارج الأرشيف أولًا.',
  'keys.existsUnknown':
    'لهذا الأرشيف مفتاح من قبل. لا يستبدله سِجِل أبدًا، لأن ذلك يجعل الحزم المرسلة إليه غير قابلة للفتح؛ لتبدأ من جديد، انقل المجلد {{folder}} خارج الأرشيف أولًا.',
  'keys.publicPartMissing': 'مفتاح الأرشيف موجود لكن جزأه العام ({{file}}) مفقود؛ افتح المفتاح مرة واحدة بعبارة المرور (sijil key check) لاستعادته.',
  'keys.publicPartDamaged': 'مفتاح الأرشيف موجود لكن جزأه العام ({{file}}) تالف؛ افتح المفتاح مرة واحدة بعبارة المرور (sijil key check) لاستعادته.',
  'keys.none': 'ليس لهذا الأرشيف مفتاح بعد: أنشئ واحدًا بالأمر "sijil key new" (أو من الإعدادات ← المفاتيح).',
  'keys.wrongPassphrase': 'عبارة المرور خاطئة: لا تفتح مفتاح هذا الأرشيف.',
  'keys.notPassphraseProtected': '{{file}} غير محمي بعبارة مرور، فلا يستطيع سِجِل فتحه بوصفه مفتاح الأرشيف.',
  'keys.keyFileDamaged': 'ملف مفتاح الأرشيف ({{file}}) تالف: {{error}}',
  'keys.noUsableKey': '{{file}} يُفتح، لكن لا مفتاح سريًا صالحًا فيه: {{error}}',
  'keys.noSecretKey': 'لا مفتاح سريًا في {{file}}.',

  'keys.recipientNameEmpty': 'يحتاج المستلم إلى اسم.',
  'keys.recipientNameTooLong': {
    zero: 'لا يُقبل أي حرف في اسم المستلم.',
    one: 'يجب ألا يزيد اسم المستلم على حرف واحد.',
    two: 'يجب ألا يزيد اسم المستلم على حرفين.',
    few: 'يجب ألا يزيد اسم المستلم على {{count}} أحرف.',
    many: 'يجب ألا يزيد اسم المستلم على {{count}} حرفًا.',
    other: 'يجب ألا يزيد اسم المستلم على {{count}} حرف.',
  },
  'keys.recipientNameControls': 'لا يجوز أن يحوي اسم المستلم محارف تحكم (فواصل أسطر أو مسافات جدولة أو محارف تغيير اتجاه النص).',
  'keys.secretNotRecipient':
    'هذا مفتاح سري (AGE-SECRET-KEY-…)، ولا يجوز أبدًا مشاركته أو حفظه في دفتر العناوين؛ المستلم هو المفتاح العام، ويبدأ بـ age1.',
  'keys.notRecipient': '"{{text}}" ليس مستلم age صالحًا: المستلم مفتاح عام يبدأ بـ age1 (كما يطبعه age-keygen)، يُنسخ كاملًا.',
  'keys.notRecipientBecause': '"{{text}}" ليس مستلم age صالحًا: المستلم مفتاح عام يبدأ بـ age1 (كما يطبعه age-keygen)، يُنسخ كاملًا. {{detail}}',
  'keys.nameTaken': 'في دفتر العناوين "{{name}}" من قبل؛ احذفه أولًا، أو اختر اسمًا آخر.',
  'keys.nameTakenSameKey': 'في دفتر العناوين "{{name}}" بهذا المفتاح من قبل؛ احذفه أولًا، أو اختر اسمًا آخر.',
  'keys.keyListed': 'هذا المفتاح موجود في دفتر العناوين من قبل باسم "{{name}}".',
  'keys.noSuchRecipient': 'لا يوجد "{{name}}" في دفتر العناوين.',
  'keys.bookNotRecipient': '"{{text}}" ليس مستلم age.',
  'keys.bookDamaged': 'دفتر العناوين ({{file}}) تالف: {{detail}} أصلح ذلك الملف أو احذفه.',
  'keys.bookNotSijil': 'ليس دفتر عناوين كتبه سِجِل.',

  'keys.diskFull': 'القرص الذي يحوي {{dir}} ممتلئ؛ أفرغ بعض المساحة ثم أعد المحاولة.',
  'keys.mayNotWrite': 'لا يُسمح لسِجِل بالكتابة في {{dir}} ({{code}})؛ تحقق من أذونات المجلد.',
  'keys.unreadable': 'تتعذر قراءة {{file}} في الأرشيف ({{code}}).',

  'keys.unknownRecipient': '"{{name}}" ليس مستلم age (age1…) ولا اسمًا في دفتر عناوين هذا الأرشيف.',
  'keys.noOwnKey': 'ليس لهذا الأرشيف مفتاح خاص به بعد: أنشئ واحدًا أولًا (sijil key new).',
  'keys.passphraseOrKeys': 'تُحمى الحزمة إما بعبارة مرور وإما بمفاتيح، لا بكليهما: اختر أحدهما.',
  'keys.passphraseEmpty': 'عبارة المرور فارغة.',
  'keys.chooseProtection': 'اختر طريقة حماية الحزمة: عبارة مرور، أو مفاتيح المستلمين (age1…)، أو مفتاح هذا الأرشيف نفسه.',
  'keys.keyPassphraseNeeded': 'يلزم إدخال عبارة مرور مفتاح هذا الأرشيف لفتح الحزمة به.',
  'keys.chooseOpener': 'أدخل ما يفتح الحزمة: عبارة مرورها، أو مفتاحًا سريًا (AGE-SECRET-KEY-1…)، أو مفتاح هذا الأرشيف نفسه.',
};
