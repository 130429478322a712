#include "RefreshTokenStatus.h"

using namespace Qt::StringLiterals;

RefreshTokenStatus::RefreshTokenStatus(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(u"refreshToken"_s);
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setAccessibleName(tr("Refresh token"));
}

void RefreshTokenStatus::setToken(const AccessToken &token)
{
    m_held = !token.refreshToken.isEmpty();
    if (!m_held) {
        clear();
        return;
    }
    const QString where = token.refreshTokenKept ? tr("held, kept in the keychain") : tr("held in memory for this session");
    const QString used = token.refreshedAt.isValid()
        ? tr("last used %1 (this token came from it)").arg(token.refreshedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s))
        : tr("not used yet; renewal uses it before the grant");
    setText(where + u'\n' + used);
}
